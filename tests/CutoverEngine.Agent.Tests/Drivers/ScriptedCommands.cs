namespace CutoverEngine.Agent.Tests.Drivers;

/// <summary>Writes small executable sh scripts that stand in for MTA commands and record the arguments they
/// got.</summary>
public sealed class ScriptedCommands : IDisposable
{
    public string Directory { get; } =
        Path.Combine(Path.GetTempPath(), "agent-cmd-" + Guid.NewGuid().ToString("N")[..10]);

    public ScriptedCommands() => System.IO.Directory.CreateDirectory(Directory);

    public string CallsFile => Path.Combine(Directory, "calls");

    public string[] Calls => File.Exists(CallsFile) ? File.ReadAllLines(CallsFile) : [];

    /// <summary>A script that appends "$@" (one line) to the calls file, then runs <paramref name="body"/>.</summary>
    public string Write(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, $"#!/bin/sh\necho \"{name} $*\" >> '{CallsFile}'\n{body}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
