// Engine placeholder replaced by the GEOS layer.
