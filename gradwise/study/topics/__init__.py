"""One module per topic of the guide; each registers itself with `gradwise.study.registry.register`."""
