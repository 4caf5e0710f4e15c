"""The bottom layer: checks of user input (clear errors naming the problem), plane geometry,
the colour palette. Plain numpy/pandas; imports nothing else from corral."""
