using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// What a load test can check of a personal ID number without knowing the registry's internals
/// (Decree 137/2015, Circular 07/2016/TT-BCA): 12 digits = province of birth registration (3) +
/// sex/century digit (1) + last two digits of the birth year (2) + 6 random digits. No check digit.
/// </summary>
internal static class PersonalIdNumber
{
    public const int Length = 12;

    public static bool IsWellFormed([NotNullWhen(true)] string? value) =>
        value is { Length: Length } && value.All(char.IsAsciiDigit);

    /// <summary>The first 6 digits the registry must issue for this person.</summary>
    public static string ExpectedPrefix(NewResident resident)
    {
        var year = resident.BirthDate.Year;

        // Sex/century digit: 1900–1999 male 0, female 1; 2000–2099 male 2, female 3; and so on up to 2399.
        var century = (year / 100) - 19;
        var digit = (century * 2) + (resident.Sex == "female" ? 1 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{resident.BirthRegistrationProvince}{digit}{year % 100:00}");
    }
}
