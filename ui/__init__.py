"""The Qt layer over app/: models, views, the wizard."""
