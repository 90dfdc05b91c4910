"""specwright-runtime: what generated specwright clients and servers run on."""
