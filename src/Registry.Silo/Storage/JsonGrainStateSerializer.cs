using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace Registry.Silo.Storage;

/// <summary>
/// Grain state is stored as UTF-8 JSON of the state record's properties: no CLR type or assembly names, so
/// renaming or moving a state class never breaks stored data, and an operator can read a row with
/// <c>convert_from(payloadbinary, 'UTF8')</c>. Property names are the stored contract: rename with care.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Vietnamese names stay readable in the database instead of \uXXXX escapes; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Unknown properties are kept out rather than failing: a newer silo may add fields during a rolling upgrade.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.ToObjectFromJson<T>(Options)
            ?? throw new JsonException($"Stored state of {typeof(T).Name} is JSON null.");
    }
}
