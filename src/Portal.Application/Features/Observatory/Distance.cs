namespace Portal.Application.Features.Observatory;

/// <summary>Q3 mobility: the great-circle distance between a candidate's commune and the training place, and its band.</summary>
public static class Distance
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in kilometres between two points given in degrees.</summary>
    public static double Kilometres(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>The bands of the mobility observatory, upper bounds excluded (the last one is open).</summary>
    public static readonly IReadOnlyList<(string Label, double UpTo)> Bands =
    [
        ("Moins de 10 km", 10), ("10 à 30 km", 30), ("30 à 60 km", 60), ("60 à 100 km", 100), ("100 km et plus", double.PositiveInfinity),
    ];

    public static int BandOf(double km)
    {
        for (var i = 0; i < Bands.Count; i++)
        {
            if (km < Bands[i].UpTo) return i;
        }
        return Bands.Count - 1;
    }
}
