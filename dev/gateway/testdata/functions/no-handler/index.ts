// A folder without handler.ts is not a function.
