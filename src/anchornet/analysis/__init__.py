"""Analysis: the spend metrics, in SQL on the workspace, behind one Python API."""
