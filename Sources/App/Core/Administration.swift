import CAFCore
import Fluent
import Vapor

/// Accounts created outside the demo. Outside `--demo` no account exists until
