"""The pieces behind `specloom.loader`: reading sources, YAML rules, bundling, locating.

`specloom.loader` is the public face; these modules are its implementation.
"""
