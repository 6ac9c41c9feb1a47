using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Contracts.Cards;

/// <summary>Writes a <see cref="DocumentNumber"/> as its nine characters and reads it back through the same validation.</summary>
public sealed class DocumentNumberJsonConverter : JsonConverter<DocumentNumber>
{
    /// <inheritdoc />
    public override DocumentNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DocumentNumber.TryParse(reader.GetString(), out var number, out var error) ? number : throw new JsonException(error);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DocumentNumber value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
