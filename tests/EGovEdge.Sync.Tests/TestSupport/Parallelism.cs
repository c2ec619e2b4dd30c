// PostgreSQL tests mostly wait on the server (CREATE DATABASE, round trips): run more test classes at once than cores.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
