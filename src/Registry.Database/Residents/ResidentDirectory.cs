using System.Text;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Database.Residents;

/// <summary>
/// Queries over <c>registry.resident</c>: searches for people and the duplicate check of a registration. Reads
/// the read model, so a change is visible here once the projection has committed it, not when the grain stored it.
/// </summary>
public sealed class ResidentDirectory(NpgsqlDataSource database)
{
    /// <summary>
    /// Most duplicate candidates returned. Far above what one name, birth date and birth province share in a real
    /// population; it bounds the answer if bad data ever makes them many.
    /// </summary>
    public const int MaxDuplicateCandidates = 100;

    private const string Columns =
        "personal_id, full_name, birth_date, sex, birth_registration_province, permanent_residence_province, alive, name_key";

    /// <summary>
    /// People already registered with the same folded name, birth date and birth registration province, living or
    /// dead, leaving out numbers replaced by a corrected one; ordered by number.
    /// </summary>
    public async Task<DuplicateCandidate[]> FindDuplicateCandidatesAsync(
        string fullName, DateOnly birthDate, string birthRegistrationProvince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        ArgumentNullException.ThrowIfNull(birthRegistrationProvince);
        var key = NameFolding.Fold(fullName);
        if (key.Length == 0 || !ResidentRow.IsProvinceCode(birthRegistrationProvince))
        {
            return [];
        }

        // resident_duplicates serves the three equalities; the partial index's predicate is repeated so it applies.
        await using var command = database.CreateCommand(
            $"""
            SELECT {Columns} FROM registry.resident
            WHERE superseded_by IS NULL AND name_key = $1 AND birth_date = $2 AND birth_registration_province = $3::char(3)
            ORDER BY personal_id
            LIMIT {MaxDuplicateCandidates}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = birthDate, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = birthRegistrationProvince });
        var candidates = new List<DuplicateCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = Read(reader);
            candidates.Add(new DuplicateCandidate(
                row.PersonalIdNumber, row.FullName, row.BirthDate, row.Sex, row.BirthRegistrationProvince, row.PermanentResidenceProvince));
        }

        return [.. candidates];
    }

    /// <summary>
    /// Which of <paramref name="numbers"/> no person in the registry holds or held (a number replaced by a correction
    /// still names its person). A person is here before their registration is acknowledged, so a link to anyone
    /// acknowledged is found; asking the read model, not the citizens, keeps two people linking to each other at the
    /// same time from waiting on each other's grain.
    /// </summary>
    public async Task<IReadOnlySet<PersonalIdNumber>> UnknownAsync(IReadOnlyCollection<PersonalIdNumber> numbers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var unknown = numbers.ToHashSet();
        if (unknown.Count == 0)
        {
            return unknown;
        }

        await using var command = database.CreateCommand("SELECT personal_id FROM registry.resident WHERE personal_id = ANY($1::char(12)[])");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. unknown.Select(static number => number.Value)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unknown.RemoveWhere(number => number.Value == reader.GetString(0));
        }

        return unknown;
    }

    /// <summary>One page of people matching <paramref name="query"/>, of everyone.</summary>
    /// <exception cref="ArgumentException">The query is invalid; <see cref="ResidentQuery.Validate"/> says why.</exception>
    public Task<ResidentSearchPage> SearchAsync(ResidentQuery query, CancellationToken cancellationToken = default) =>
        SearchAsync(query, null, cancellationToken);

    /// <summary>
    /// One page of people matching <paramref name="query"/> among those of <paramref name="jurisdiction"/> (everyone when
    /// it is null). The jurisdiction is a condition of the statement, so pages are pages of the officer's people: a
    /// filter after the LIMIT would hand out short pages and cursors positioned on people the officer may not read.
    /// </summary>
    /// <exception cref="ArgumentException">The query is invalid; <see cref="ResidentQuery.Validate"/> says why.</exception>
    public async Task<ResidentSearchPage> SearchAsync(ResidentQuery query, SearchJurisdiction? jurisdiction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Validate() is { Length: > 0 } errors)
        {
            throw new ArgumentException(
                "Invalid resident query: " + string.Join(" ", errors.Select(static error => $"{error.Field}: {error.Message}")), nameof(query));
        }

        await using var command = database.CreateCommand();
        // Only the conditions asked for are in the statement, so each shape gets the plan of its own index:
        // resident_by_birth_year_name with a year, resident_by_residence_name with a province, else resident_by_name.
        var sql = new StringBuilder($"SELECT {Columns} FROM registry.resident WHERE superseded_by IS NULL");
        if (query.NameKey is { } key)
        {
            var range = NameKeyRange.StartingWith(key);
            sql.Append(" AND name_key >= ").Append(Parameter(command, range.From));
            if (range.Before is { } before)
            {
                sql.Append(" AND name_key < ").Append(Parameter(command, before));
            }
        }

        if (query.BirthYear is { } year)
        {
            sql.Append(" AND birth_year = ").Append(Parameter(command, (short)year, NpgsqlDbType.Smallint));
        }

        if (query.Province is { } province)
        {
            sql.Append(" AND permanent_residence_province = ").Append(Parameter(command, province)).Append("::char(3)");
        }

        if (jurisdiction is { } officer)
        {
            // The three ties of Registry.Domain's Readers: permanent residence, a temporary residence in force, birth.
            var own = Parameter(command, officer.Province);
            sql.Append(" AND (permanent_residence_province = ").Append(own).Append("::char(3)")
                .Append(" OR birth_registration_province = ").Append(own).Append("::char(3)")
                .Append(" OR (temporary_residence_province = ").Append(own).Append("::char(3) AND temporary_residence_until >= ")
                .Append(Parameter(command, officer.Day, NpgsqlDbType.Date)).Append("))");
        }

        if (query.After is { } after && SearchCursor.TryDecode(after, out var position))
        {
            // A row comparison is an index condition on (…, name_key, personal_id): the scan starts right after the
            // previous page instead of skipping it.
            sql.Append(" AND (name_key, personal_id) > (").Append(Parameter(command, position.NameKey))
                .Append(", ").Append(Parameter(command, position.PersonalId)).Append("::char(12))");
        }

        // One row more than the page says whether another page follows.
        sql.Append(" ORDER BY name_key, personal_id LIMIT ").Append(Parameter(command, query.Limit + 1, NpgsqlDbType.Integer));
        command.CommandText = sql.ToString();

        var residents = new List<ResidentSummary>(query.Limit + 1);
        string? lastKey = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (residents.Count == query.Limit)
                {
                    return new ResidentSearchPage(residents, SearchCursor.Encode(lastKey!, residents[^1].PersonalIdNumber.Value));
                }

                residents.Add(Read(reader));
                lastKey = reader.GetString(7);
            }
        }

        return new ResidentSearchPage(residents, null);
    }

    private static string Parameter(NpgsqlCommand command, string value) => Parameter(command, value, NpgsqlDbType.Text);

    private static string Parameter<T>(NpgsqlCommand command, T value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type });
        return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ResidentSummary Read(NpgsqlDataReader reader)
    {
        var number = reader.GetString(0);
        return new ResidentSummary(
            PersonalIdNumber.TryParse(number, out var parsed, out var error)
                ? parsed
                : throw new InvalidOperationException($"registry.resident holds '{number}', which is not a personal ID number: {error}"),
            reader.GetString(1),
            reader.GetFieldValue<DateOnly>(2),
            (Sex)reader.GetInt16(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.GetBoolean(6));
    }
}

/// <summary>The people a provincial officer finds in a search (Registry.Domain's <c>Readers</c>).</summary>
/// <param name="Province">The officer's province: people living there permanently, staying there under a temporary residence, or born there.</param>
/// <param name="Day">The day a temporary residence must still be in force on (Vietnam's calendar day).</param>
public sealed record SearchJurisdiction(string Province, DateOnly Day);
