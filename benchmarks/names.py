"""Swedish names and places for the synthetic data."""

FEMALE_FIRST_NAMES = (
    "Alice", "Maja", "Elsa", "Astrid", "Wilma", "Freja", "Saga", "Ella", "Ebba", "Alma",
    "Olivia", "Selma", "Agnes", "Clara", "Vera", "Stella", "Ines", "Signe", "Elvira", "Julia",
    "Ellen", "Linnea", "Moa", "Tilda", "Nora", "Hanna", "Ida", "Lova", "Sara", "Amira",
    "Leah", "Isabelle", "Edith", "Märta", "Åsa", "Ylva", "Sofia", "Emma", "Elin", "Tuva",
)

MALE_FIRST_NAMES = (
    "William", "Noah", "Hugo", "Lucas", "Liam", "Oscar", "Elias", "Adam", "Matteo", "Leo",
    "Vincent", "Alexander", "Nils", "Theo", "Ludvig", "Olle", "Viktor", "Axel", "Isak", "Melvin",
    "Gustav", "Edvin", "Arvid", "Emil", "Malte", "Sigge", "Casper", "Filip", "Anton", "Omar",
    "Ali", "Yusuf", "Jonathan", "Anders", "Björn", "Östen", "Åke", "Jakob", "Sixten", "Ture",
)

LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk",
    "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson",
    "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg",
    "Åberg", "Öberg", "Ahmed", "Hassan", "Mohammed", "Ali", "Nguyen", "Kovačević",
)

PLACE_STEMS = (
    "Berga", "Ryd", "Skägge", "Lamb", "Eke", "Holm", "Vik", "Sand", "Björk", "Gran", "Ek",
    "Lunda", "Tall", "Ås", "Näs", "Sjö", "Norr", "Söder", "Väster", "Öster", "Kvarn", "Hög",
    "Mal", "Sol", "Stjärn", "Rosen", "Lin", "Hammar", "Mo", "Bo", "Kyrk", "Hag", "Fors",
    "Broby", "Dals", "Stens", "Ängs", "Ala", "Vallby", "Gärdes",
)

PLACE_ENDINGS = (
    "torp", "holmen", "by", "berga", "lund", "vik", "dal", "hult", "ås", "näs", "stad",
    "backen", "gården", "hagen", "slätt", "sjö", "tuna", "köping", "fors", "ryd",
)

STREETS = (
    "Storgatan", "Skolgatan", "Kyrkogatan", "Parkvägen", "Björkvägen", "Torggatan",
    "Ringvägen", "Stationsgatan", "Bäckvägen", "Ängsvägen",
)

SCHOOLS = (
    "Katedralskolan", "Folkungaskolan", "Berzeliusskolan", "Anders Ljungstedts gymnasium",
    "Platengymnasiet", "Hagagymnasiet", "Ekholmsskolan", "Nya Munken", "Tannefors skola",
)

MEETING_POINTS = (
    "Centrumtorget", "Bibliotekets entré", "Busshållplatsen vid skolan", "Fritidsgården",
    "Idrottsplatsen", "Stationen", "Köpcentrets huvudentré", "Parkeringen vid kyrkan",
)

WALK_NOTES = (
    "",
    "",
    "Lugnt i centrum, många i rörelse vid busstorget.",
    "Grupp yngre ungdomar vid fritidsgården, samtal om helgen.",
    "Nedskräpning vid lekplatsen, rapporterat till kommunen.",
    "Mycket folk vid köpcentret efter stängning.",
    "Stöttade ungdom som behövde skjuts hem, kontakt med förälder.",
)

EVENT_PLACES = ("Fritidsgården", "Stadsbiblioteket", "Medborgarhuset", "Skolans aula")
