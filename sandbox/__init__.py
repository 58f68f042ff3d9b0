"""A local stand-in for the Telegram Bot API, with a control API and a web chat page."""
from sandbox.faults import Faults
from sandbox.limits import RateLimits
from sandbox.personas import Persona, demo_personas
from sandbox.server import DEFAULT_TOKEN, SandboxServer

__all__ = ["DEFAULT_TOKEN", "Faults", "Persona", "RateLimits", "SandboxServer", "demo_personas"]
