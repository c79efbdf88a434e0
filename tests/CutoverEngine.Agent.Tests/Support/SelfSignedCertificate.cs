using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CutoverEngine.Agent.Tests.Support;

/// <summary>A rehearsal certificate for 127.0.0.1 and localhost, written as PEM (certificate, key), as README's openssl
/// recipe makes.</summary>
public static class SelfSignedCertificate
{
    public static (string CertificateFile, string KeyFile) Write(string directory, string name = "agent")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=cutover-agent rehearsal",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddMinutes(-5),
            DateTimeOffset.UtcNow.AddDays(1)
        );
        var certFile = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }
}
