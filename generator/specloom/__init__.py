"""specloom: generate typed Python clients and Starlette servers from OpenAPI documents."""

__version__ = "0.1.0"
