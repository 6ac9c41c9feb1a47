using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Residents;

namespace Registry.Domain.Provinces;

/// <summary>
/// Reading a <see cref="ReorganisationPlan"/> from CSV and writing it back, the checks every plan passes before it is
/// applied, and <see cref="Resolution202"/>, the real plan of 1 July 2025.
/// </summary>
public static class ReorganisationPlans
{
    /// <summary>The id of <see cref="Resolution202"/>.</summary>
    public const string Resolution202Id = "2025-07-01-resolution-202";

    /// <summary>The day the 34 units of Resolution 202/2025/QH15 came into being.</summary>
    public static readonly DateOnly Resolution202EffectiveOn = new(2025, 7, 1);

    // Lazy rather than a static field: a damaged resource must not make the parser unusable (a failed type
    // initialiser would break reading every uploaded plan), only this property.
    private static readonly Lazy<ReorganisationPlan> Resolution202Plan = new(LoadResolution202);

    /// <summary>
    /// Resolution 202/2025/QH15: the 63 units of 2024 become 34 (28 provinces, 6 cities) on 1 July 2025, read from
    /// <c>provinces-2025.csv</c> embedded in the domain.
    /// </summary>
    public static ReorganisationPlan Resolution202 => Resolution202Plan.Value;

    /// <summary>The plan in the CSV format <see cref="Parse"/> reads; parsing it gives the same plan back.</summary>
    public static string ToCsv(ReorganisationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var merger in plan.Mergers)
        {
            csv.Append(merger.SurvivingCode).Append(',').Append(merger.Name).Append(',')
                .Append(KindText(merger.Kind)).Append(',').AppendJoin(';', merger.FormedFrom).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The first line of a plan's CSV, as in <c>provinces-2025.csv</c>.</summary>
    public const string Header = "code,name,kind,formed_from";

    /// <summary>Longest plan id accepted: it becomes a grain key and an idempotency key.</summary>
    public const int MaxIdLength = 100;

    /// <summary>Longest unit name accepted, in UTF-16 code units after NFC normalisation.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Most lines read after the header. A valid plan has at most one line per current unit; the cap only stops a
    /// wrong file from being read to its end.
    /// </summary>
    public const int MaxLines = 1000;

    // Errors name the CSV column they concern, "line" for a line as a whole and "header" for the first line.
    private const string IdField = "id";
    private const string HeaderField = "header";
    private const string LineField = "line";
    private const string CodeField = "code";
    private const string NameField = "name";
    private const string KindField = "kind";
    private const string FormedFromField = "formed_from";

    private const string NoUnits = "The plan lists no units: after the header comes one line per unit.";

    /// <summary>
    /// Reads a plan uploaded as CSV and checks it against the units current before it; returns the plan, or every
    /// error found (each naming its line, counted from 1 for the header, and the code concerned) and no plan.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The format is that of <c>provinces-2025.csv</c>: the header <c>code,name,kind,formed_from</c>, then one line
    /// per unit of the new map. <c>code</c> is the three-digit code the unit keeps; <c>name</c> its name (stored
    /// NFC, trimmed, at most <see cref="MaxNameLength"/> characters, no quotation marks: fields are never quoted, and
    /// a name cannot hold a comma); <c>kind</c> is <c>province</c> or <c>city</c>; <c>formed_from</c> lists, separated
    /// by <c>;</c>, the unit's own code and the codes it absorbs. Codes and kinds are taken exactly as written (no
    /// spaces around them). A byte order mark before the header is ignored; lines end with LF or CRLF.
    /// </para>
    /// <para>
    /// Refused: a wrong header; no lines; an empty line; a line without exactly four fields; a code that is not three
    /// digits; an empty or unusable name; a kind other than province or city; an empty formed_from; a unit listed on
    /// two lines; a unit whose formed_from omits its own code; a code not current before the plan (unknown, or
    /// absorbed by an earlier plan); a code merged twice (twice in one formed_from, or absorbed on two lines); a unit
    /// both kept (on its own line) and absorbed (in another line's formed_from), which covers cycles (A absorbs B, B
    /// absorbs A) and chains (A absorbs B, B absorbs C): a plan maps each old unit to its new unit in one step.
    /// </para>
    /// <para>
    /// Allowed: a current unit the plan does not name stays as it is, under its name; a line whose formed_from is its
    /// own code alone renames the unit or changes its kind.
    /// </para>
    /// </remarks>
    /// <param name="id">The plan's id: 1 to <see cref="MaxIdLength"/> printable ASCII characters, no spaces.</param>
    /// <param name="effectiveOn">The first day of the new units.</param>
    /// <param name="csv">The plan's text.</param>
    /// <param name="currentCodes">The codes of the units in existence before the plan (<see cref="ProvinceUnits.Current"/>).</param>
    public static (ReorganisationPlan? Plan, FieldError[] Errors) Parse(
        string id, DateOnly effectiveOn, TextReader csv, IReadOnlySet<string> currentCodes)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(currentCodes);
        var errors = new FieldErrors();
        errors.Add(IdField, CheckId(id));

        var header = csv.ReadLine();
        // A StreamReader drops a byte order mark; text handed over as a string may still start with one.
        if (header is not null && header.StartsWith('\uFEFF'))
        {
            header = header[1..];
        }

        if (header != Header)
        {
            errors.Add(HeaderField, header is null
                ? $"The plan is empty: it starts with the header {Header}, then one line per unit."
                : $"The header must be {Header}, not '{header}'.");
            return (null, errors.ToArray());
        }

        var lines = new List<PlanLine>();
        var number = 1;
        while (csv.ReadLine() is { } text)
        {
            if (++number > MaxLines + 1)
            {
                errors.Add(LineField, $"The plan has more than {MaxLines} lines after the header; a plan has one line per unit.");
                break;
            }

            if (ReadLine(number, text, errors) is { } line)
            {
                lines.Add(line);
            }
        }

        if (number == 1)
        {
            errors.Add(LineField, NoUnits);
        }

        var mergers = CheckLines(lines, currentCodes, errors);
        return errors.Any ? (null, errors.ToArray()) : (new ReorganisationPlan(id, effectiveOn, mergers), []);
    }

    /// <summary>
    /// Why this plan cannot be applied to the units of <paramref name="currentCodes"/>: the checks of
    /// <see cref="Parse"/>, for a plan that did not come from CSV (built in code, or received from elsewhere).
    /// Line numbers are those of <see cref="ToCsv"/>. Empty when it can be applied.
    /// </summary>
    public static FieldError[] Check(ReorganisationPlan plan, IReadOnlySet<string> currentCodes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(currentCodes);
        var errors = new FieldErrors();
        errors.Add(IdField, CheckId(plan.Id));

        // A plan received over the wire can hold nulls whatever the annotations say.
        var mergers = plan.Mergers;
        if (mergers is null || mergers.Count == 0)
        {
            errors.Add(LineField, NoUnits);
            return errors.ToArray();
        }

        var lines = new List<PlanLine>();
        for (var i = 0; i < mergers.Count; i++)
        {
            var number = i + 2;
            if (mergers[i] is not { } merger)
            {
                errors.Add(LineField, $"Line {number} is empty: the plan has no unit there.");
                continue;
            }

            var kindError = Enum.IsDefined(merger.Kind) ? null : $"the kind {(int)merger.Kind} is neither province nor city.";
            var formedFrom = merger.AbsorbedCodes is null ? [merger.SurvivingCode] : merger.FormedFrom;
            if (CheckLine(number, merger.SurvivingCode, merger.Name, merger.Kind, kindError, formedFrom, errors) is { } line)
            {
                // An unusable name has been reported already (and left empty in the line).
                errors.Add(NameField, line.Name.Length == 0 || line.Name == merger.Name ? null : $"{Where(line)}: the name must be trimmed and in NFC.");
                lines.Add(line);
            }
        }

        CheckLines(lines, currentCodes, errors);
        return errors.ToArray();
    }

    private static string KindText(ProvinceKind kind) => kind == ProvinceKind.City ? "city" : "province";

    /// <summary>The refusal of another plan under <paramref name="planId"/>: the id is the run's idempotency key, and an earlier plan holds it.</summary>
    public static Refusal IdTaken(string planId) =>
        new(RefusalKind.Conflict, "This plan id belongs to another plan; nothing was changed.",
            [new FieldError("id", $"Another plan was already started as '{planId}'; give a new plan a new id.")]);

    /// <summary>Why <paramref name="id"/> cannot name a plan, or null when it can: the rule of every plan id, for a plan and for a look-up alike.</summary>
    public static string? CheckId(string? id) => id switch
    {
        null or "" => "A plan needs an id, e.g. 2025-07-01-resolution-202.",
        { Length: > MaxIdLength } => $"A plan id has at most {MaxIdLength} characters.",
        // Printable ASCII only: the id becomes a grain key and travels in URLs and headers.
        _ when !id.All(c => c is > ' ' and <= '~') => "A plan id has only printable ASCII characters and no spaces, e.g. 2025-07-01-resolution-202.",
        _ => null,
    };

    private static PlanLine? ReadLine(int number, string text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(LineField, $"Line {number} is empty; every line after the header describes one unit.");
            return null;
        }

        var fields = text.Split(',');
        if (fields.Length != 4)
        {
            var where = IsCode(fields[0]) ? $"Line {number}, unit {fields[0]}" : $"Line {number}";
            errors.Add(LineField, $"{where}: the line has {fields.Length} fields instead of 4 ({Header}); fields are not quoted and names hold no commas.");
            return null;
        }

        ProvinceKind? kind = fields[2] switch
        {
            "province" => ProvinceKind.Province,
            "city" => ProvinceKind.City,
            _ => null,
        };
        var kindError = kind is null ? $"the kind must be province or city, not '{fields[2]}'." : null;
        return CheckLine(number, fields[0], fields[1], kind ?? ProvinceKind.Province, kindError, fields[3].Split(';'), errors);
    }

    /// <summary>
    /// The checks of one line on its own. Returns the line for the checks across lines unless its code is unusable;
    /// unusable codes in formed_from are reported and left out.
    /// </summary>
    private static PlanLine? CheckLine(
        int number, string? code, string? name, ProvinceKind kind, string? kindError, IReadOnlyList<string?> formedFrom, FieldErrors errors)
    {
        if (!IsCode(code))
        {
            errors.Add(CodeField, $"Line {number}: the code '{code}' is not three digits.");
            return null;
        }

        var where = $"Line {number}, unit {code}";
        var (normalised, nameError) = RegistrationRules.NormaliseText(name, $"{where}: the name", MaxNameLength);
        errors.Add(NameField, nameError ?? (normalised!.Contains(',', StringComparison.Ordinal) || normalised.Contains('"', StringComparison.Ordinal)
            ? $"{where}: the name holds a comma or a quotation mark; fields of a plan are not quoted."
            : null));
        errors.Add(KindField, kindError is null ? null : $"{where}: {kindError}");

        var codes = new List<string>();
        if (formedFrom is [null or ""])
        {
            errors.Add(FormedFromField, $"{where}: formed_from is empty; it lists the unit's own code and the codes it absorbs, separated by ';'.");
        }
        else
        {
            foreach (var item in formedFrom)
            {
                if (IsCode(item))
                {
                    codes.Add(item);
                }
                else
                {
                    errors.Add(FormedFromField, $"{where}: '{item}' in formed_from is not a three-digit code.");
                }
            }
        }

        return new PlanLine(number, code, normalised ?? string.Empty, kind, codes);
    }

    /// <summary>The checks across lines; returns the mergers, meaningful only when no error was found.</summary>
    private static UnitMerger[] CheckLines(List<PlanLine> lines, IReadOnlySet<string> currentCodes, FieldErrors errors)
    {
        // The units the plan keeps, each on one line; a repeated line is reported and left out of the other checks.
        var survivors = new Dictionary<string, PlanLine>(StringComparer.Ordinal);
        var listed = new List<PlanLine>();
        foreach (var line in lines)
        {
            if (survivors.TryGetValue(line.Code, out var first))
            {
                errors.Add(CodeField, $"{Where(line)}: the unit is already listed on line {first.Number}; a plan lists each unit once.");
            }
            else
            {
                survivors.Add(line.Code, line);
                listed.Add(line);
            }
        }

        var absorbedOn = new Dictionary<string, PlanLine>(StringComparer.Ordinal);
        var mergers = new List<UnitMerger>();
        foreach (var line in listed)
        {
            if (!currentCodes.Contains(line.Code))
            {
                errors.Add(CodeField, $"{Where(line)}: {NotCurrent(line.Code)}");
            }

            // An empty or wholly malformed formed_from has been reported already.
            if (line.FormedFrom.Count > 0 && !line.FormedFrom.Contains(line.Code, StringComparer.Ordinal))
            {
                errors.Add(FormedFromField, $"{Where(line)}: formed_from must include {line.Code} itself, the unit that keeps its code.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var absorbed = new List<string>();
            foreach (var code in line.FormedFrom)
            {
                if (!seen.Add(code))
                {
                    errors.Add(FormedFromField, $"{Where(line)}: {code} appears twice in formed_from; a unit is merged once.");
                }
                else if (code == line.Code)
                {
                    // The surviving unit itself.
                }
                else if (!currentCodes.Contains(code))
                {
                    errors.Add(FormedFromField, $"{Where(line)}: {NotCurrent(code)}");
                }
                else if (survivors.TryGetValue(code, out var kept))
                {
                    errors.Add(FormedFromField, KeptAndAbsorbed(line, code, kept, survivors));
                }
                else if (absorbedOn.TryGetValue(code, out var earlier))
                {
                    errors.Add(FormedFromField, $"{Where(line)}: {code} is merged twice: line {earlier.Number} already merges it into {earlier.Code}.");
                }
                else
                {
                    absorbedOn.Add(code, line);
                    absorbed.Add(code);
                }
            }

            // Arrays, not collection expressions: the runtime type must be one Orleans can serialise.
            mergers.Add(new UnitMerger(line.Code, line.Name, line.Kind, absorbed.ToArray()));
        }

        return mergers.ToArray();
    }

    /// <summary>
    /// The error for <paramref name="line"/> absorbing <paramref name="code"/>, which the plan also keeps on
    /// <paramref name="kept"/>: a cycle when the absorptions lead back to the line's own unit, a chain otherwise.
    /// </summary>
    private static string KeptAndAbsorbed(PlanLine line, string code, PlanLine kept, Dictionary<string, PlanLine> survivors)
    {
        const string rule = "A unit is either kept or absorbed, never both.";
        if (PathOfAbsorptions(code, line.Code, survivors) is not { } path)
        {
            return $"{Where(line)}: {code} cannot be absorbed here: line {kept.Number} keeps it as a unit. {rule} "
                + $"To merge a chain such as {line.Code} ← {code} ← another, list every code on the line of the unit that survives.";
        }

        var steps = new List<string> { $"{line.Code} absorbs {code} here" };
        for (var i = 0; i < path.Count - 1; i++)
        {
            steps.Add($"{path[i]} absorbs {path[i + 1]} on line {survivors[path[i]].Number}");
        }

        return $"{Where(line)}: {code} cannot be absorbed here: line {kept.Number} keeps it as a unit, and the plan makes a cycle ({string.Join(", ", steps)}). {rule}";
    }

    /// <summary>
    /// The codes from <paramref name="from"/> to <paramref name="to"/> following "absorbs" through kept units
    /// (breadth first, so the shortest), or null when there is no such path.
    /// </summary>
    private static List<string>? PathOfAbsorptions(string from, string to, Dictionary<string, PlanLine> survivors)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal) { [from] = from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var code))
        {
            foreach (var next in survivors[code].FormedFrom)
            {
                if (next == code || (next != to && !survivors.ContainsKey(next)) || !cameFrom.TryAdd(next, code))
                {
                    continue;
                }

                if (next == to)
                {
                    var path = new List<string> { to };
                    for (var step = code; step != from; step = cameFrom[step])
                    {
                        path.Add(step);
                    }

                    path.Add(from);
                    path.Reverse();
                    return path;
                }

                queue.Enqueue(next);
            }
        }

        return null;
    }

    private static string NotCurrent(string code) => ProvinceCatalog.IsKnown(code)
        ? $"{code} is no longer in use: an earlier reorganisation absorbed it."
        : $"{code} is not a province code in use before this plan.";

    private static string Where(PlanLine line) => $"Line {line.Number}, unit {line.Code}";

    private static bool IsCode([NotNullWhen(true)] string? value) =>
        value is { Length: 3 } && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>One line of a plan as read: its number in the CSV, and the well-formed codes of its formed_from.</summary>
    private sealed record PlanLine(int Number, string Code, string Name, ProvinceKind Kind, IReadOnlyList<string> FormedFrom);

    private static ReorganisationPlan LoadResolution202()
    {
        const string resource = "Registry.Domain.Provinces.provinces-2025.csv";
        using var stream = typeof(ReorganisationPlans).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Reference data {resource} is not embedded in the domain assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);

        var (plan, errors) = Parse(Resolution202Id, Resolution202EffectiveOn, reader, ProvinceUnits.Of2024.Current);
        return plan ?? throw new InvalidDataException(
            $"Reference data {resource} is not a valid plan: {string.Join(" ", errors.Select(error => error.Message))}");
    }
}
