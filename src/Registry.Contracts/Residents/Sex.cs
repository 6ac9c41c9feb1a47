namespace Registry.Contracts.Residents;

/// <summary>Sex as recorded in the registry; the ID number encodes it (Decree 137/2015).</summary>
[GenerateSerializer, Alias("registry.Sex")]
public enum Sex
{
    /// <summary>Male.</summary>
    Male = 0,

    /// <summary>Female.</summary>
    Female = 1,
}
