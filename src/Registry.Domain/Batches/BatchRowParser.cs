using System.Globalization;
using System.Text.Json;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Batches;

/// <summary>
/// Reads the stored rows of one batch into commands. Pure: (row text, row number, today) → command or errors, with
/// every faulty field named as the API names it, all at once. The command carries the row's operation id
/// <c>batch:{batchId}:{row}</c> and acts as the uploader, whose rights the grains check for every row.
/// </summary>
public sealed class BatchRowParser
{
    private readonly string _batchId;
    private readonly Actor _actor;
    private readonly string[]? _columns;

    private BatchRowParser(string batchId, Actor actor, string[]? columns)
    {
        _batchId = batchId;
        _actor = actor;
        _columns = columns;
    }

    /// <summary>The parser of an NDJSON batch.</summary>
    public static BatchRowParser ForNdjson(string batchId, Actor actor) => new(batchId, actor, null);

    /// <summary>The parser of a CSV batch with this header line, or the header's errors.</summary>
    public static (BatchRowParser? Parser, FieldError[] Errors) ForCsv(string batchId, Actor actor, string header)
    {
        var (columns, errors) = ReadHeader(header);
        return columns is null ? (null, errors) : (new BatchRowParser(batchId, actor, columns), []);
    }

    /// <summary>The column names of a CSV header line, or why it cannot be a batch's header.</summary>
    public static (string[]? Columns, FieldError[] Errors) ReadHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var (columns, error) = CsvRecord.Split(header);
        if (columns is null)
        {
            return (null, [new FieldError("header", error!)]);
        }

        var errors = BatchColumns.CheckHeader(columns);
        return errors.Length > 0 ? (null, errors) : (columns, []);
    }

    /// <summary>The command that row <paramref name="rowNumber"/> asks for, or why it cannot be read.</summary>
    /// <param name="rowNumber">The row's 1-based record number, which makes its operation id.</param>
    /// <param name="text">The row as stored.</param>
    /// <param name="today">Today in Vietnam, the latest birth date accepted.</param>
    public ParsedBatchRow Parse(int rowNumber, string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new RowFields();
        if (_columns is null)
        {
            ReadJson(text, fields);
        }
        else
        {
            ReadCsv(text, _columns, fields);
        }

        if (fields.Unreadable)
        {
            return new UnreadableRow(fields.Errors.ToArray());
        }

        var operationId = BatchIds.RowOperationId(_batchId, rowNumber);
        return fields.Text(BatchColumns.Kind) switch
        {
            BatchColumns.RegistrationKind => Registration(fields, operationId, today),
            BatchColumns.AmendmentKind => Amendment(fields, operationId),
            null => Refuse(fields, BatchColumns.Kind, "Each row has a kind: registration or amendment."),
            var other => Refuse(fields, BatchColumns.Kind, $"The kind must be registration or amendment, not '{other}'."),
        };
    }

    private static UnreadableRow Refuse(RowFields fields, string field, string message)
    {
        fields.Errors.Add(field, message);
        return new UnreadableRow(fields.Errors.ToArray());
    }

    private ParsedBatchRow Registration(RowFields fields, string idempotencyKey, DateOnly today)
    {
        var errors = fields.Errors;
        fields.RefuseAny(BatchColumns.Amendment, "a registration");
        var fullName = fields.Required(ResidentFields.FullName, "Full name is required.");
        var birthDate = fields.Date(ResidentFields.BirthDate, "Birth date", required: true);
        var sexText = fields.Text(ResidentFields.Sex);
        var sex = ResidentFields.ParseSex(sexText);
        errors.Add(ResidentFields.Sex, sex is not null ? null : sexText is null ? "Sex is required: male or female." : $"Sex must be male or female, not '{sexText}'.");
        var province = fields.Required(BatchColumns.BirthRegistrationProvince, "The province where the birth is registered is required (3-digit code).");
        var nationalityText = fields.Text(ResidentFields.Nationality);
        var nationality = nationalityText is null ? NationalityStatus.Vietnamese : ResidentFields.ParseNationality(nationalityText);
        errors.Add(ResidentFields.Nationality, nationality is null
            ? $"Nationality must be vietnamese, undeterminedVietnameseOrigin or foreignLongTermResident, not '{nationalityText}'."
            : null);
        var certificate = Certificate(fields);
        var family = new FamilyLinks(
            fields.Number(ResidentFields.Mother), fields.Number(ResidentFields.Father),
            fields.Number(ResidentFields.Spouse), fields.Number(ResidentFields.Guardian));
        var issued = fields.Number(BatchColumns.IssuedNumber);
        if (errors.Any)
        {
            return new UnreadableRow(errors.ToArray());
        }

        var command = new RegisterResident(idempotencyKey, fullName!, birthDate!.Value, sex!.Value, province!)
        {
            Actor = _actor,
            OtherNames = fields.OtherNames ?? [],
            Hometown = fields.Text(ResidentFields.Hometown),
            Ethnicity = fields.Text(ResidentFields.Ethnicity),
            Religion = fields.Text(ResidentFields.Religion),
            Nationality = nationality!.Value,
            IdentityCertificate = certificate,
            Family = family,
            PermanentAddress = fields.Text(ResidentFields.PermanentAddress),
            IssuedNumber = issued,
            ConfirmedNotDuplicate = fields.ConfirmedNotDuplicate ?? false,
        };

        // The registration grain runs the same rules; running them here spares a grain call for a row that cannot pass.
        var (normalised, refused) = RegistrationRules.Check(command, today);
        if (normalised is null)
        {
            return new UnreadableRow(refused);
        }

        PersonalIdNumber[] people = [.. issued is { } number ? [number] : Array.Empty<PersonalIdNumber>(), .. family.Declared().Select(link => link.Number)];
        return new RegistrationRow(command) { People = people };
    }

    private static IdentityCertificate? Certificate(RowFields fields)
    {
        var issuedOn = fields.Date(BatchColumns.CertificateIssuedOn, "The certificate's issue date", required: false);
        var commune = fields.Text(BatchColumns.CertificateCommune);
        var since = fields.Date(BatchColumns.CertificateLivingSince, "The date since when the person lives in the commune", required: false);
        string[] parts = [BatchColumns.CertificateIssuedOn, BatchColumns.CertificateCommune, BatchColumns.CertificateLivingSince];
        var given = parts.Where(fields.IsGiven).ToArray();
        if (given.Length == 0)
        {
            return null;
        }

        if (given.Length < parts.Length)
        {
            var missing = parts.Except(given).Select(part => part[(BatchColumns.IdentityCertificate.Length + 1)..]);
            fields.Errors.Add(BatchColumns.IdentityCertificate, $"The certificate needs {string.Join(", ", missing)}.");
            return null;
        }

        return issuedOn is { } issued && since is { } living ? new IdentityCertificate(issued, commune!, living) : null;
    }

    private ParsedBatchRow Amendment(RowFields fields, string amendmentId)
    {
        var errors = fields.Errors;
        fields.RefuseAny(BatchColumns.Registration, "an amendment");
        var numberText = fields.Text(ResidentFields.PersonalIdNumber);
        PersonalIdNumber? number = null;
        if (PersonalIdNumber.TryParse(numberText, out var parsed, out var numberError))
        {
            number = parsed;
        }
        else
        {
            errors.Add(ResidentFields.PersonalIdNumber, numberText is null ? "The personal ID number of the person to amend is required." : numberError);
        }

        var field = fields.Text(BatchColumns.Field);
        errors.Add(BatchColumns.Field, field is null ? "The field to amend is required."
            : ResidentFields.Amendable.Contains(field) ? null
            : $"'{field}' is not a field that can be amended; these can: {string.Join(", ", ResidentFields.Amendable)}.");
        var reason = fields.Required(BatchColumns.Reason, "A reason is required.");
        var document = fields.Required(BatchColumns.DocumentReference, "The supporting document's reference is required.");
        if (errors.Any)
        {
            return new UnreadableRow(errors.ToArray());
        }

        // No value clears an optional field; the citizen grain refuses clearing one that is required.
        var value = fields.Text(BatchColumns.Value);
        var command = new AmendResident(amendmentId, _actor, reason!, document!, [new FieldChange(field!, value)]);
        var people = new List<PersonalIdNumber> { number!.Value };
        if (ResidentFields.IsLink(field!) && PersonalIdNumber.TryParse(value, out var linked, out _))
        {
            people.Add(linked);
        }

        return new AmendmentRow(number.Value, command) { People = people };
    }

    private static void ReadJson(string text, RowFields fields)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            fields.Unreadable = true;
            fields.Errors.Add(BatchLimits.RowField, ex.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $"Not valid JSON (at byte {position + 1} of the row).")
                : "Not valid JSON.");
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                fields.Unreadable = true;
                fields.Errors.Add(BatchLimits.RowField, "An NDJSON row is one JSON object.");
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == BatchColumns.IdentityCertificate)
                {
                    ReadJsonCertificate(property.Value, fields);
                }
                else if (property.Name.Contains('.', StringComparison.Ordinal))
                {
                    // Dotted names are CSV columns; in NDJSON the certificate is an object.
                    fields.Errors.Add(property.Name, "Not a field of batch rows.");
                }
                else
                {
                    ReadJsonValue(property.Name, property.Value, fields);
                }
            }
        }
    }

    private static void ReadJsonCertificate(JsonElement value, RowFields fields)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            fields.Errors.Add(BatchColumns.IdentityCertificate, "The identity certificate is an object with issuedOn, commune and livingInCommuneSince.");
            return;
        }

        foreach (var part in value.EnumerateObject())
        {
            ReadJsonValue($"{BatchColumns.IdentityCertificate}.{part.Name}", part.Value, fields);
        }
    }

    private static void ReadJsonValue(string name, JsonElement value, RowFields fields)
    {
        if (!BatchColumns.All.Contains(name))
        {
            fields.Errors.Add(name, "Not a field of batch rows.");
            return;
        }

        if (!fields.MarkSeen(name) || value.ValueKind == JsonValueKind.Null)
        {
            // Null, like an empty CSV cell, means "not given".
            return;
        }

        switch (name)
        {
            case ResidentFields.OtherNames:
                if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String))
                {
                    fields.OtherNames = [.. value.EnumerateArray().Select(item => item.GetString()!)];
                }
                else
                {
                    fields.Errors.Add(name, "Other names are a JSON array of strings.");
                }

                break;
            case BatchColumns.ConfirmedNotDuplicate:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    fields.ConfirmedNotDuplicate = value.GetBoolean();
                }
                else
                {
                    fields.Errors.Add(name, "confirmedNotDuplicate is true or false.");
                }

                break;
            default:
                if (value.ValueKind == JsonValueKind.String)
                {
                    fields.Texts[name] = value.GetString()!;
                }
                else
                {
                    // Codes and numbers are strings: "079" and 79 are not the same province.
                    fields.Errors.Add(name, $"Must be a JSON string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
                }

                break;
        }
    }

    private static void ReadCsv(string text, string[] columns, RowFields fields)
    {
        var (values, error) = CsvRecord.Split(text);
        if (values is null || values.Length != columns.Length)
        {
            fields.Unreadable = true;
            fields.Errors.Add(BatchLimits.RowField, error ?? string.Create(CultureInfo.InvariantCulture,
                $"The row has {values!.Length} fields; the header has {columns.Length}."));
            return;
        }

        for (var i = 0; i < columns.Length; i++)
        {
            var (name, value) = (columns[i], values[i]);
            if (value.Length == 0)
            {
                // An empty cell means "not given": CSV has no null.
                continue;
            }

            switch (name)
            {
                case ResidentFields.OtherNames:
                    fields.OtherNames = value.Split(ResidentFields.OtherNamesSeparator);
                    break;
                case BatchColumns.ConfirmedNotDuplicate:
                    fields.ConfirmedNotDuplicate = value switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => null,
                    };
                    fields.Errors.Add(name, fields.ConfirmedNotDuplicate is null ? $"confirmedNotDuplicate is true or false, not '{value}'." : null);
                    break;
                default:
                    fields.Texts[name] = value;
                    break;
            }
        }

    }

    /// <summary>The fields of one row, whatever its format, before they become a command.</summary>
    private sealed class RowFields
    {
        public Dictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);

        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public string[]? OtherNames { get; set; }

        public bool? ConfirmedNotDuplicate { get; set; }

        public FieldErrors Errors { get; } = new();

        /// <summary>The row as a whole cannot be read (not JSON, wrong field count): its fields mean nothing.</summary>
        public bool Unreadable { get; set; }

        public string? Text(string name) => Texts.GetValueOrDefault(name);

        /// <summary>Whether the row gives a value for <paramref name="name"/> (null and empty cells do not).</summary>
        public bool IsGiven(string name) => name switch
        {
            ResidentFields.OtherNames => OtherNames is not null,
            BatchColumns.ConfirmedNotDuplicate => ConfirmedNotDuplicate is not null,
            _ => Texts.ContainsKey(name),
        };

        /// <summary>Notes that the row names <paramref name="name"/>; false (and an error) when it already did.</summary>
        public bool MarkSeen(string name)
        {
            if (_seen.Add(name))
            {
                return true;
            }

            Errors.Add(name, "The field is given more than once.");
            return false;
        }

        public string? Required(string name, string message)
        {
            var text = Text(name);
            Errors.Add(name, text is null ? message : null);
            return text;
        }

        public DateOnly? Date(string name, string label, bool required)
        {
            var text = Text(name);
            if (text is null)
            {
                Errors.Add(name, required ? $"{label} is required (yyyy-MM-dd)." : null);
                return null;
            }

            if (ResidentFields.TryParseDate(text, out var date))
            {
                return date;
            }

            Errors.Add(name, $"{label} must be a date yyyy-MM-dd, not '{text}'.");
            return null;
        }

        public PersonalIdNumber? Number(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            if (PersonalIdNumber.TryParse(text, out var number, out var error))
            {
                return number;
            }

            Errors.Add(name, error);
            return null;
        }

        /// <summary>Refuses every field of <paramref name="others"/> that the row gives: it belongs to the other kind.</summary>
        public void RefuseAny(IEnumerable<string> others, string kindWithArticle)
        {
            foreach (var name in others.Where(IsGiven))
            {
                Errors.Add(name, $"Not a field of {kindWithArticle} row.");
            }
        }
    }
}
