"""Load benchmark of the clinic site: `make bench`."""
