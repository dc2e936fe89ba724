namespace Portal.Testing;

/// <summary>
/// The real public data nobody here wrote (LHEO offers, communes, ROME codes), in <c>../shared/data</c> beside the
/// repository's root, where CI has it too.
/// </summary>
public static class SharedData
{
    public static string PathOf(params string[] path)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
        if (dir?.Parent is null) throw new DirectoryNotFoundException("Portal.sln introuvable au-dessus du dossier des tests.");
        var file = Path.Combine([dir.Parent.FullName, "shared", "data", .. path]);
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} : les données publiques partagées sont à côté du dépôt (../shared/data).", file);
        return file;
    }
}
