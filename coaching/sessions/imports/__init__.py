"""Session imports from other apps' exports (docs/api.md, "Imports (coach)").

- ``common``: what every parser returns (workouts of sets, in plain data), reading the file;
- ``strong``, ``hevy``, ``hinge``: one pure parser per format (no database);
- ``models``: the dry run kept until its commit, and the names a coach mapped;
- ``services``: the dry run (matching names to the library) and the commit (through the sync service).
"""
