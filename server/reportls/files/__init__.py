"""The report's folder on disk: reading regular files with a size limit (diskfile), listing the figures folder and resolving image links against it (figures)."""
