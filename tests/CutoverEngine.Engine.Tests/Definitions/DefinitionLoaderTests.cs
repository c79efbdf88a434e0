using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Tests.Definitions;

public sealed class DefinitionLoaderTests
{
    static string Shipped()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
            dir = dir.Parent;
        return Path.Combine(dir!.FullName, "workflows", "cutover.v1.json");
    }

    static DefinitionException Refused(string json, string file = "cutover.v1.json") =>
        Assert.Throws<DefinitionException>(() => DefinitionLoader.Parse(Encoding.UTF8.GetBytes(json), file));

    static string ShippedText => File.ReadAllText(Shipped());

    [Fact]
    public void The_shipped_definition_loads_with_its_content_hash()
    {
        var bytes = File.ReadAllBytes(Shipped());
        var d = DefinitionLoader.Parse(bytes, Shipped());
        Assert.Equal(("cutover", 1), (d.Id, d.Version));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), d.ContentHash);
        Assert.Equal(TimeSpan.FromMinutes(60), d.WindowBudget);
        Assert.Equal("Preflight", d.Steps[0].Kind);
        Assert.Equal("RecordIncident", d.Rollback[^1].Kind);
        Assert.Equal(CheckNames.All, d.Step("verify").Checks);
    }

    [Fact]
    public void An_unknown_step_kind_is_named_with_its_line_column_and_path()
    {
        var text = ShippedText.Replace("\"RepointDns\"", "\"RepointDnz\"");
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("RepointDnz")) + 1;
        var e = Refused(text);
        var problem = Assert.Single(e.Problems, p => p.Contains("RepointDnz"));
        Assert.StartsWith($"cutover.v1.json:{line}:", problem);
        Assert.Contains("$.steps[5].kind: unknown step kind 'RepointDnz' (allowed: Preflight,", problem);
        Assert.Contains(e.Problems, p => p.Contains("the forward steps need a RepointDns step"));
    }

    [Fact]
    public void A_syntax_error_is_reported_at_its_position()
    {
        var e = Refused("{\n  \"id\": \"cutover\",\n  \"version\": 1\n  \"steps\": []\n}");
        Assert.Matches(@"^cutover\.v1\.json:4:\d+: \$: not valid JSON", Assert.Single(e.Problems));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var text = ShippedText
            .Replace("\"windowBudgetMinutes\": 60", "\"windowBudgetMinutes\": 500")
            .Replace("\"timeoutSeconds\": 120, \"attempts\": 4", "\"timeoutSeconds\": 0, \"attempts\": 4")
            .Replace("\"spf\"", "\"dkim\"");
        var e = Refused(text);
        Assert.Contains(e.Problems, p => p.Contains("$.windowBudgetMinutes: 500 is outside 1..240"));
        Assert.Contains(e.Problems, p => p.Contains("$.steps[0].timeoutSeconds: 0 is outside 1..3600"));
        Assert.Contains(e.Problems, p => p.Contains("$.steps[8].checks[3]: unknown check 'dkim'"));
    }

    [Fact]
    public void Resuming_before_verification_is_refused_as_unsafe()
    {
        var text = ShippedText
            .Replace("\"kind\": \"Verify\"", "\"kind\": \"VERIFY_PLACEHOLDER\"")
            .Replace(
                "\"kind\": \"ResumeSending\",     \"timeoutSeconds\": 120",
                "\"kind\": \"Verify\", \"checks\": [\"spf\"], \"timeoutSeconds\": 120"
            )
            .Replace("\"kind\": \"VERIFY_PLACEHOLDER\"", "\"kind\": \"ResumeSending\"");
        var e = Refused(text);
        Assert.Contains(e.Problems, p => p.Contains("ResumeSending must come after Verify"));
    }

    [Fact]
    public void A_forward_step_in_the_rollback_and_unknown_fields_are_refused()
    {
        var text = ShippedText
            .Replace("\"kind\": \"RestoreDns\"", "\"kind\": \"RepointDns\"")
            .Replace("\"leaseRenewalFraction\"", "\"leaseRenewal\"");
        var e = Refused(text);
        Assert.Contains(e.Problems, p => p.Contains("$.rollback[0].kind: RepointDns is a forward step"));
        Assert.Contains(e.Problems, p => p.Contains("$.leaseRenewal: unknown field 'leaseRenewal'"));
    }

    [Fact]
    public void The_file_name_must_carry_the_id_and_version()
    {
        var e = Refused(ShippedText, "cutover.json");
        Assert.Contains(e.Problems, p => p.Contains("must be named cutover.v1.json"));
    }

    [Fact]
    public void Two_files_with_the_same_id_and_version_fail_the_directory()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "cutover.v1.json"), ShippedText);
            File.WriteAllText(
                Path.Combine(dir.FullName, "cutover.v2.json"),
                ShippedText.Replace("\"version\": 1", "\"version\": 2")
            );
            var catalog = DefinitionLoader.LoadDirectory(dir.FullName);
            Assert.Equal(2, catalog.Latest("cutover").Version);
            Assert.Equal(1, catalog.Get("cutover", 1).Version);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
