using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Residents;

namespace Registry.Domain.Provinces;

/// <summary>Reading a national commune list from CSV.</summary>
public sealed partial record CommuneList
{
    /// <summary>The header of a list of the 2024 units, which still had districts.</summary>
    public const string Header2024 = "province_code,district_code,district_name,commune_code,commune_name";

    /// <summary>The header of a list of the units after Resolution 202/2025/QH15, which have no district level.</summary>
    public const string Header2025 = "province_code,commune_code,commune_name";

    /// <summary>
    /// Most lines read after the header: the 2024 list has 10,035 communes; the cap only stops a wrong file from being
    /// read to its end.
    /// </summary>
    public const int MaxLines = 50_000;

    /// <summary>Most errors reported: a wrong file can have one on every line, and the first ones say what is wrong.</summary>
    public const int MaxErrors = 20;

    // Errors name the CSV column they concern, "line" for a line as a whole and "header" for the first line.
    private const string HeaderField = "header";
    private const string LineField = "line";
    private const string ProvinceField = "province_code";
    private const string DistrictCodeField = "district_code";
    private const string DistrictNameField = "district_name";
    private const string CommuneCodeField = "commune_code";
    private const string CommuneNameField = "commune_name";

    /// <summary>
    /// Reads a commune list and checks it whole; returns the list, or the errors found (each naming its line, counted
    /// from 1 for the header, and its column; at most <see cref="MaxErrors"/>) and no list.
    /// </summary>
    /// <remarks>
    /// The header says which units the list is for: <see cref="Header2024"/> the 63 units of 2024,
    /// <see cref="Header2025"/> the units after <see cref="ReorganisationPlans.Resolution202"/>. Fields are not quoted
    /// and hold no commas. Refused: another header; no lines; an empty line; a line with another number of fields; a
    /// province code that is not one of the units the list is for; a district code that is not three digits or an empty
    /// district name; a commune code that is not five digits, or that is on two lines (a commune code is national); an
    /// empty or unusable name. A byte order mark before the header is ignored; lines end with LF or CRLF.
    /// </remarks>
    public static (CommuneList? List, FieldError[] Errors) Parse(TextReader csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var errors = new FieldErrors();
        var header = csv.ReadLine();
        if (header is not null && header.StartsWith('\uFEFF'))
        {
            header = header[1..];
        }

        var (units, columns) = header switch
        {
            Header2024 => (Units2024, 5),
            Header2025 => (ReorganisationPlans.Resolution202Id, 3),
            _ => (null, 0),
        };
        if (units is null)
        {
            errors.Add(HeaderField, header is null
                ? $"The list is empty: it starts with the header {Header2024} (the 2024 units) or {Header2025} (the 2025 units)."
                : $"Line 1: the header must be {Header2024} (the 2024 units) or {Header2025} (the 2025 units), not '{header}'.");
            return (null, errors.ToArray());
        }

        var provinces = UnitCodes(units)!;
        var communes = new List<ListedCommune>();
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var errorCount = 0;
        void Refuse(string field, string message)
        {
            if (++errorCount <= MaxErrors)
            {
                errors.Add(field, message);
            }
        }

        var number = 1;
        while (csv.ReadLine() is { } text)
        {
            if (++number > MaxLines + 1)
            {
                Refuse(LineField, $"The list has more than {MaxLines} lines after the header; no national list is that long.");
                break;
            }

            if (ReadLine(number, text, columns, provinces, Refuse) is not { } commune)
            {
                continue;
            }

            if (lineOf.TryGetValue(commune.Code, out var first))
            {
                Refuse(CommuneCodeField, $"Line {number}: commune {commune.Code} is on line {first} already; a commune code is national and listed once.");
                continue;
            }

            lineOf.Add(commune.Code, number);
            communes.Add(commune);
        }

        if (number == 1)
        {
            Refuse(LineField, "The list has no communes: after the header comes one line per commune.");
        }

        if (errorCount > MaxErrors)
        {
            errors.Add(LineField, string.Create(CultureInfo.InvariantCulture, $"{errorCount - MaxErrors} more error(s) not shown."));
        }

        return errors.Any ? (null, errors.ToArray()) : (new CommuneList(units, communes), []);
    }

    private static ListedCommune? ReadLine(int number, string text, int columns, IReadOnlySet<string> provinces, Action<string, string> refuse)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            refuse(LineField, $"Line {number} is empty; every line after the header describes one commune.");
            return null;
        }

        var fields = text.Split(',');
        if (fields.Length != columns)
        {
            refuse(LineField, $"Line {number} has {fields.Length} fields instead of {columns}; fields are not quoted and names hold no commas.");
            return null;
        }

        var valid = true;
        void Check(string field, string? error)
        {
            if (error is not null)
            {
                refuse(field, $"Line {number}: {error}");
                valid = false;
            }
        }

        var province = fields[0];
        Check(ProvinceField, !IsDigits(province, 3) ? $"a province code has 3 digits, not '{province}'."
            : !provinces.Contains(province) ? $"{province} is not one of the {provinces.Count} units this list is for."
            : null);
        string? districtCode = null, districtName = null;
        if (columns == 5)
        {
            districtCode = fields[1];
            Check(DistrictCodeField, IsDigits(districtCode, 3) ? null : $"a district code has 3 digits, not '{districtCode}'.");
            var (name, nameError) = RegistrationRules.NormaliseText(fields[2], "the district's name", Commune.MaxNameLength);
            Check(DistrictNameField, nameError);
            districtName = name;
        }

        var code = fields[columns - 2];
        Check(CommuneCodeField, Commune.CheckCode(code) is null ? null : $"a commune code has 5 digits, not '{code}'.");
        var (communeName, communeNameError) = RegistrationRules.NormaliseText(fields[columns - 1], "the commune's name", Commune.MaxNameLength);
        Check(CommuneNameField, communeNameError);
        return valid ? new ListedCommune(province, code, communeName!, districtCode, districtName) : null;
    }

    private static bool IsDigits(string text, int length) => text.Length == length && text.All(char.IsAsciiDigit);
}
