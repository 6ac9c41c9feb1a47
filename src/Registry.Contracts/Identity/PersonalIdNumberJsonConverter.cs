using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Contracts.Identity;

/// <summary>Writes a <see cref="PersonalIdNumber"/> as its twelve digits and reads it back through the same validation.</summary>
public sealed class PersonalIdNumberJsonConverter : JsonConverter<PersonalIdNumber>
{
    /// <inheritdoc />
    public override PersonalIdNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PersonalIdNumber.TryParse(reader.GetString(), out var number, out var error) ? number : throw new JsonException(error);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PersonalIdNumber value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
