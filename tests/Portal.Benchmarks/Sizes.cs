namespace Portal.Benchmarks;

/// <summary>The dataset's size (issue #7 defaults) and the fixed instant the data is laid out around.</summary>
public sealed record Sizes(int Prescriptions, int Candidates, int Sessions, int Fiches, int TrainingBodies, int PrescriberOrganisations)
{
    public static readonly Sizes Default = new(1_000_000, 300_000, 20_000, 3_000, 200, 60);

    public static readonly Sizes Smoke = new(1_000, 400, 60, 20, 6, 7);

    /// <summary>"Now" of the generated data (the demo data's instant in the tests), so that every run builds the same rows.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);
}
