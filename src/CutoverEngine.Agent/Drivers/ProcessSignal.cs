using System.Runtime.InteropServices;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// kill(2) from the agent's own process. Signalling through <c>/bin/kill</c> costs a process start, and on a loaded
/// host each start of a short command measured 0.5-2 s of waiting for a core: a lapse's resume pays for every one.
/// </summary>
static class ProcessSignal
{
    const int SigHup = 1;

    // DllImport, not LibraryImport: the latter's generated code needs the project compiled with unsafe blocks, and
    // two ints need no marshalling.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    /// <summary>Sends SIGHUP; the error names the pid and errno when the process is gone or not ours.</summary>
    public static void Hangup(int pid)
    {
        if (Kill(pid, SigHup) != 0)
            throw new MtaDriverException($"kill -HUP {pid}: errno {Marshal.GetLastPInvokeError()}");
    }
}
