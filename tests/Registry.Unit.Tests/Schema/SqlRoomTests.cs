using System.Text.RegularExpressions;

namespace Registry.Unit.Tests.Schema;

/// <summary>
/// Every SQL statement of ours lives in <c>src/Registry.Database</c>, beside the migrations whose tables it reads: a
/// schema change then finds every query it touches in one project, and grains, hosts and tools call that project
/// instead of writing their own. The search reads the C# of every other project under <c>src/</c> for a string literal
/// that opens with a statement (SELECT, INSERT INTO, UPDATE … SET, DELETE FROM, WITH … AS (, CREATE, ALTER, DROP,
/// TRUNCATE, COPY), and refuses <c>.sql</c> files there.
/// </summary>
public sealed partial class SqlRoomTests
{
    private const string DatabaseProject = "Registry.Database";

    /// <summary>No project under src/ but Registry.Database holds SQL of ours.</summary>
    [Fact]
    public void No_project_but_Registry_Database_holds_sql()
    {
        var outside = Findings().Where(finding => !finding.StartsWith(DatabaseProject + "/", StringComparison.Ordinal)).ToList();

        Assert.True(outside.Count == 0, "SQL outside Registry.Database; move it into a class there and call that:\n" + string.Join("\n", outside));
    }

    /// <summary>The search recognises the statements Registry.Database does hold, so that finding nothing elsewhere means something.</summary>
    [Fact]
    public void The_search_recognises_the_sql_of_Registry_Database()
    {
        var found = Findings().Where(finding => finding.StartsWith(DatabaseProject + "/", StringComparison.Ordinal)).ToList();

        Assert.Contains(found, finding => finding.StartsWith($"{DatabaseProject}/Residents/ResidentCensus.cs", StringComparison.Ordinal));
        Assert.Contains(found, finding => finding.StartsWith($"{DatabaseProject}/Residents/ResidentProjection.cs", StringComparison.Ordinal));
    }

    /// <summary>What the search takes for a statement, and what it leaves alone.</summary>
    [Theory]
    [InlineData("command.CommandText = \"SELECT count(*) FROM registry.resident\";", true)]
    [InlineData("const string Sql = \"\"\"\n    WITH moved AS (\n        SELECT 1)\n    SELECT * FROM moved\n    \"\"\";", true)]
    [InlineData("var sql = $\"UPDATE plain.province SET residents = residents - 1 WHERE code = {code}\";", true)]
    [InlineData("var sql = @\"DELETE FROM registry.batch_row WHERE batch_id = $1\";", true)]
    [InlineData("await connection.BeginBinaryImportAsync(\"COPY seed (a, b) FROM STDIN (FORMAT BINARY)\");", true)]
    [InlineData("\"CREATE TEMPORARY TABLE seed (LIKE registry.resident) ON COMMIT DROP\"", true)]
    [InlineData("\"INSERT INTO registry.ledger (a) VALUES ($1)\"", true)]
    [InlineData("problems.Add(\"Select a province first.\");", false)]
    [InlineData("Description = \"Update the two province counters in code order\"", false)]
    [InlineData("// \"SELECT 1\" in a comment is prose", false)]
    [InlineData("var query = from person in people select person.Name;", false)]
    public void A_statement_in_a_string_literal_is_recognised(string code, bool isSql) =>
        Assert.Equal(isSql, Statements(code).Any());

    private static IEnumerable<string> Findings()
    {
        var source = Path.Combine(RepositoryRoot(), "src");
        foreach (var file in Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (relative.Split('/') is [_, "bin" or "obj", ..])
            {
                continue;
            }

            if (file.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{relative}: a .sql file";
            }
            else if (file.EndsWith(".cs", StringComparison.Ordinal))
            {
                foreach (var (line, statement) in Statements(File.ReadAllText(file)))
                {
                    yield return $"{relative}:{line}: {statement}";
                }
            }
        }
    }

    /// <summary>Each string literal of <paramref name="code"/> that opens with a statement: its line and the rest of that line.</summary>
    private static IEnumerable<(int Line, string Statement)> Statements(string code)
    {
        var lines = code.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (lines[index].TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                lines[index] = string.Empty;
            }
        }

        var text = string.Join('\n', lines);
        foreach (Match match in OpeningStatement().Matches(text))
        {
            var start = match.Groups["statement"].Index;
            var line = 1 + text.AsSpan(0, start).Count('\n');
            var end = text.IndexOf('\n', start);
            var words = text[start..(end < 0 ? text.Length : end)].Trim();
            yield return (line, words.Length > 80 ? words[..80] + "…" : words);
        }
    }

    /// <summary>
    /// A quote (any opening of a C# string: "…", @"…", $"…", """…""") followed, maybe after a line break, by the first
    /// words of a statement. Keywords are upper case, as every statement of ours is written, so prose in messages
    /// ("Select a province") and LINQ's lower-case <c>select</c> are not taken for SQL.
    /// </summary>
    [GeneratedRegex("""
        "\s*(?<statement>
            SELECT\s+(?:DISTINCT\s+)?[\w*($'.]
          | INSERT\s+INTO\s
          | UPDATE\s+[\w."]+\s+(?:AS\s+\w+\s+)?SET\s
          | DELETE\s+FROM\s
          | WITH\s+(?:RECURSIVE\s+)?\w+(?:\s*\([^)]*\))?\s+AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(
          | CREATE\s+(?:OR\s+REPLACE\s+|UNIQUE\s+|TEMP(?:ORARY)?\s+|UNLOGGED\s+)*(?:TABLE|INDEX|VIEW|FUNCTION|PROCEDURE|SCHEMA|TYPE|SEQUENCE|TRIGGER|EXTENSION)\s
          | ALTER\s+(?:TABLE|INDEX|VIEW|FUNCTION|SCHEMA|TYPE|SEQUENCE)\s
          | DROP\s+(?:TABLE|INDEX|VIEW|FUNCTION|PROCEDURE|SCHEMA|TYPE|SEQUENCE|TRIGGER)\s
          | TRUNCATE\s
          | COPY\s+[\w."]+\s*(?:\(|FROM\s|TO\s)
        )
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex OpeningStatement();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}: the test reads the repository's src/ folder.");
    }
}
