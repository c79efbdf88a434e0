using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Sandbox;

/// <summary>How to run a sandbox; the topology's own settings say how the world behaves.</summary>
public sealed class SandboxRunOptions
{
    /// <summary>Port of the AWS endpoint (Route 53 and EC2). 0 picks a free port. Default 0.</summary>
    public int AwsPort { get; set; }

    /// <summary>Port of the authoritative DNS responder, UDP and TCP. 0 picks a free port. Default 0.</summary>
    public int DnsPort { get; set; }

    /// <summary>Port of the sending-control HTTP endpoint. 0 picks a free port. Default 0.</summary>
    public int SendingControlPort { get; set; }

    /// <summary>Port of the route looking glass (RIPEstat's prefix-overview). 0 picks a free port. Default 0.</summary>
    public int RouteLookingGlassPort { get; set; }

    /// <summary>Port every MTA listens on; null takes the topology's (default 2525), 0 picks one free on all MTA
    /// addresses.</summary>
    public int? SmtpPort { get; set; }

    /// <summary>Overrides the topology's fault rate when set.</summary>
    public double? FaultRate { get; set; }

    /// <summary>Overrides the topology's fault seed when set.</summary>
    public int? Seed { get; set; }

    /// <summary>Start each environment's mail generator. Default true.</summary>
    public bool GenerateMail { get; set; } = true;

    /// <summary>Where the AWS, DNS and sending-control endpoints listen. Default 127.0.0.1.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Lifetime of the temporary keys STS issues, overriding DurationSeconds (to see them expire mid-wave).
    /// Default null: the DurationSeconds the caller asks for.
    /// </summary>
    public TimeSpan? CredentialTtl { get; set; }

    /// <summary>The sandbox's clock; tests may pass a fake one. Default the system clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Where the sandbox's own components log (the DNS responder's socket errors). Default: nowhere.</summary>
    public ILoggerFactory Loggers { get; set; } = NullLoggerFactory.Instance;
}
