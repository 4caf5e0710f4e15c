"""The UI layer: the anywidget map, the review and queue widgets (traitlets only), the wire contract
(:mod:`~corral.map.protocol`: trait names, dtypes, message kinds; its JS twin is
``js/src/protocol.js``), the command handler for messages from the browser, and the views that
keep every widget of a Labeler in step.

May import every layer below; nothing but the ``Labeler`` facade imports it."""
