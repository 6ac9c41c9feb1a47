using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Api.Tests.Residents;

/// <summary>Bodies of <c>POST /residents</c>, written as a caller writes them.</summary>
internal static class Registrations
{
    // Vietnamese letters travel as UTF-8, not as \u escapes, as most callers send them.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A request every rule accepts: by default a woman born 17 May 1990, birth registered in Hồ Chí Minh (079).</summary>
    public static JsonObject Valid(
        string fullName = "Nguyễn Thị Ánh",
        string birthDate = "1990-05-17",
        string sex = "female",
        string birthRegistrationProvince = "079") =>
        new()
        {
            ["fullName"] = fullName,
            ["birthDate"] = birthDate,
            ["sex"] = sex,
            ["birthRegistrationProvince"] = birthRegistrationProvince,
            // Tests register the same details many times; duplicate candidates have tests of their own.
            ["confirmedNotDuplicate"] = true,
        };

    /// <summary>The valid request with <paramref name="field"/> set to <paramref name="value"/>.</summary>
    public static string ValidWith(string field, JsonNode? value)
    {
        var body = Valid();
        body[field] = value;
        return body.ToJson();
    }

    /// <summary>The valid request without <paramref name="field"/>.</summary>
    public static string ValidWithout(string field)
    {
        var body = Valid();
        body.Remove(field);
        return body.ToJson();
    }

    /// <summary>The body as JSON text.</summary>
    public static string ToJson(this JsonObject body) => body.ToJsonString(Json);
}
