"""A believable demo clinic: services, staff of every discipline, patients, guardians."""
