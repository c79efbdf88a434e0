using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>`cutover demo --stay`: after the wave, the pages serve it until SIGTERM.</summary>
public sealed partial class DemoStayTests
{
    [GeneratedRegex("log in with the auditor key ([0-9a-f]+)")]
    private static partial Regex AuditorKey();

    [GeneratedRegex(@"Staying up: the wave's report is (\S+)/waves/(demo-\S+)/report\.html")]
    private static partial Regex ReportUrl();

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [Fact]
    public async Task Demo_stay_serves_the_report_of_the_wave_just_run_until_terminated()
    {
        var dir = Directory.CreateTempSubdirectory("cutover-demo-stay-").FullName;
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        try
        {
            await using var demo = CutoverProcess.Start(dir, ["demo", "--stay", "--urls", baseUrl]);
            await demo.WaitForOutputAsync("Listening on", TimeSpan.FromMinutes(4));
            var key = AuditorKey().Match(demo.Stdout).Groups[1].Value;
            var url = ReportUrl().Match(demo.Stdout);
            Assert.True(url.Success && key.Length > 0, demo.Stdout);
            var wave = url.Groups[2].Value;

            // Log in as a browser would (the session cookie is Secure; over loopback HTTP it is sent by hand).
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(baseUrl),
            };
            var login = await http.GetAsync("/login");
            var antiforgeryCookie = Cookies(login);
            var token = Antiforgery().Match(await login.Content.ReadAsStringAsync()).Groups[1].Value;
            using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
            {
                Content = new FormUrlEncodedContent(
                    new Dictionary<string, string> { ["__antiforgery"] = token, ["key"] = key }
                ),
            };
            post.Headers.Add("Cookie", antiforgeryCookie);
            var session = Cookies(await http.SendAsync(post));
            Assert.Contains("cutover.session", session, StringComparison.Ordinal);

            using var page = new HttpRequestMessage(HttpMethod.Get, $"/waves/{wave}/report.html");
            page.Headers.Add("Cookie", session);
            var answer = await http.SendAsync(page);
            var html = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{answer.StatusCode}: {html}");
            Assert.Contains(wave, html, StringComparison.Ordinal);
            Assert.Contains("umbrella-stg", html, StringComparison.Ordinal);

            await demo.TerminateAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, demo.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static string Cookies(HttpResponseMessage response) =>
        string.Join(
            "; ",
            response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []
        );

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
