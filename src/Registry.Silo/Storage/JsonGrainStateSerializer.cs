using System.Text.Json;
using Orleans.Storage;
using Registry.Grains;

namespace Registry.Silo.Storage;

/// <summary>
/// Grain state is stored as UTF-8 JSON of the state record's properties: no CLR type or assembly names, so
/// renaming or moving a state class never breaks stored data, and an operator can read a row with
/// <c>convert_from(payloadbinary, 'UTF8')</c>. The options are <see cref="StoredStateJson"/>'s, shared with the national bulk load.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, StoredStateJson.Options);

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.ToObjectFromJson<T>(StoredStateJson.Options)
            ?? throw new JsonException($"Stored state of {typeof(T).Name} is JSON null.");
    }
}
