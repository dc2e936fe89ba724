namespace Portal.Gateway;

/// <summary>The gateway's entry point: <c>dotnet run --project src/Portal.Gateway -- --urls http://127.0.0.1:8080</c>.</summary>
public static class Program
{
    public static Task Main(string[] args) => Gateway.Build(args).RunAsync();
}
