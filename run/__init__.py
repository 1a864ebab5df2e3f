"""Running finsam over an archive: the per-document cache, the executors (a local process
pool or a Dask cluster) and the scheduler that keeps every worker busy."""
