"""Running a schema: the SQL that defines its rows, the engines that execute it, its inputs."""
