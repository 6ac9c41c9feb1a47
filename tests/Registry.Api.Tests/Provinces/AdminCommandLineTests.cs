using System.CommandLine;
using Registry.Admin.Communes;
using Registry.Admin.Reconciliation;
using Xunit;

namespace Registry.Api.Tests.Provinces;

/// <summary>The operators' commands that call the API read their command line: an --api given is used, a bad one refused with a message.</summary>
public sealed class AdminCommandLineTests
{
    /// <summary>An --api given on the command line is parsed (it was an unhandled exception: System.CommandLine has no Uri converter).</summary>
    [Theory]
    [InlineData("reconcile", "--api", "http://127.0.0.1:9090")]
    [InlineData("communes", "import", "--file", "communes-2024.csv", "--api", "http://127.0.0.1:9090")]
    public void An_api_url_on_the_command_line_is_read(params string[] args)
    {
        var parse = Root().Parse(args);

        Assert.Empty(parse.Errors);
        Assert.Equal(new Uri("http://127.0.0.1:9090"), parse.GetValue<Uri>("--api"));
    }

    /// <summary>A malformed --api is refused with a message naming the option.</summary>
    [Fact]
    public void A_malformed_api_url_is_refused()
    {
        var parse = Root().Parse(["communes", "import", "--file", "communes-2024.csv", "--api", "127.0.0.1"]);

        Assert.Contains(parse.Errors, error => error.Message.StartsWith("--api must be an absolute http or https URL", StringComparison.Ordinal));
    }

    private static RootCommand Root() => new() { ReconcileCommand.Create(), ImportCommunesCommand.Create() };
}
