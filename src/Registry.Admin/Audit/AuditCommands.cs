using System.CommandLine;
using System.Globalization;
using Npgsql;
using Registry.Admin.Schema;
using Registry.Database.Audit;

namespace Registry.Admin.Audit;

/// <summary>
/// <c>registry-admin audit verify</c>: recomputes every chain of the audit log straight from PostgreSQL (not through
/// the API, whose role it checks), names the first broken row of each broken chain, and exits non-zero if any is.
/// </summary>
public static class AuditCommands
{
    /// <summary>Exit code when a chain is broken.</summary>
    public const int Broken = 1;

    /// <summary><c>audit verify [--connection ...]</c>.</summary>
    public static Command Create()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = $"Npgsql connection string of the registry's database; default ${SchemaCommands.ConnectionVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(SchemaCommands.ConnectionVariable),
        };
        var verify = new Command("verify", "Recompute every audit chain and check its links, positions and seals; exit 1 naming the first broken row of each broken chain.")
        {
            connection,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(connection) is not { } connectionString || string.IsNullOrWhiteSpace(connectionString))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"No connection string: pass --connection or set {SchemaCommands.ConnectionVariable}.");
                return SchemaCommands.NoConnection;
            }

            await using var database = NpgsqlDataSource.Create(connectionString);
            var result = await new AuditVerification(database).VerifyAsync(cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            foreach (var broken in result.Breaks)
            {
                await output.WriteLineAsync($"BROKEN chain {broken.ChainId} at position {broken.Position}: {Name(broken.Kind)}: {broken.Detail}");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Chains} chain(s), {result.Rows} row(s) in {result.Elapsed.TotalSeconds:0.00} s ({result.RowsPerSecond:0} rows/s): " +
                $"{(result.Breaks.Count == 0 ? "intact" : $"{result.Breaks.Count} chain(s) broken")}."));
            return result.Breaks.Count == 0 ? 0 : Broken;
        });
        return new Command("audit", "The audit log of accesses to personal data.") { verify };
    }

    private static string Name(ChainBreakKind kind) => kind switch
    {
        ChainBreakKind.Changed => "changed",
        ChainBreakKind.Inserted => "inserted",
        ChainBreakKind.Deleted => "deleted",
        ChainBreakKind.Reordered => "reordered",
        ChainBreakKind.TailCut => "tail cut",
        _ => kind.ToString(),
    };
}
