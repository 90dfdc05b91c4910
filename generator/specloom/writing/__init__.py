"""The pieces behind `specloom.write`: the manifest, the lock, carrying user files, the swap.

`specloom.write` is the public face; these modules are its implementation.
"""
