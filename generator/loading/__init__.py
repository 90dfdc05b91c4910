"""The pieces behind `specwright.loader`: reading sources, YAML rules, bundling, locating.

`specwright.loader` is the public face; these modules are its implementation.
"""
