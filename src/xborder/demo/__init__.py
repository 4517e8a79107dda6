"""The demo workspace: 深圳声悦电子 (a seller) and a marketplace operator, seeded through the public services."""

from xborder.demo.seed import DemoCredentials, seed_demo_workspace

__all__ = ["DemoCredentials", "seed_demo_workspace"]
