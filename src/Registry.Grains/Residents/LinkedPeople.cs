using Registry.Contracts;
using Registry.Domain.Residents;
using Registry.Contracts.Identity;
using Registry.Database.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// The check that the people a record links to (mother, father, spouse, guardian) are in the registry, for
/// registrations and amendments alike. It reads the read model and never calls a citizen grain: two people linked to
/// each other in concurrent amendments would otherwise each wait on the other's busy grain until the call timed out.
/// </summary>
internal static class LinkedPeople
{
    /// <summary>An error per link to a number nobody holds; empty when every linked person exists.</summary>
    public static async Task<FieldError[]> CheckAsync(ResidentDirectory directory, IEnumerable<(string Field, PersonalIdNumber Number)> links)
    {
        var declared = links.ToArray();
        var unknown = await directory.UnknownAsync([.. declared.Select(static link => link.Number)]);
        var errors = new FieldErrors();
        foreach (var (field, number) in declared)
        {
            errors.Add(field, unknown.Contains(number) ? RegistrationRules.NoLinkedPerson(number) : null);
        }

        return errors.ToArray();
    }
}
