from . import test_demo_provider
