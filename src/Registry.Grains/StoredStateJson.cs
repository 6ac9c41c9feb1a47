using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Grains;

/// <summary>
/// How grain state is stored: UTF-8 JSON of the state record's properties, no CLR type or assembly names, so renaming or
/// moving a state class never breaks stored data and an operator can read a row with <c>convert_from(payloadbinary,
/// 'UTF8')</c>. The silos' storage serializer and the national bulk load (which writes citizens' first states itself)
/// both use these options, so a loaded state is byte for byte what a silo would have stored.
/// </summary>
public static class StoredStateJson
{
    /// <summary>The options; property names are the stored contract: rename with care.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Vietnamese names stay readable in the database instead of \uXXXX escapes; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Unknown properties are kept out rather than failing: a newer silo may add fields during a rolling upgrade.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The stored bytes of <paramref name="state"/>.</summary>
    public static byte[] Serialize<T>(T state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    /// <summary>The state stored as <paramref name="payload"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<T>(payload, Options) ?? throw new JsonException($"Stored state of {typeof(T).Name} is JSON null.");
}
