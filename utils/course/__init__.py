"""Run the course: lessons, checks, grading and exports, for instructors and CI.

Notebook files and nbgrader rules, kernels, the lesson format and release, the check
cells students run, the class grader and its reports, and HTML export.

Their public names are re-exported by ``utils``; docs/design.md maps the modules.
"""
