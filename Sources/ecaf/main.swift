import App

try await CommandLineEntry.run()
