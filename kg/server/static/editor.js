// The SPARQL editor page: YASGUI (yasgui/) on this server's /sparql endpoint, with the
// project's prefixes (/prefixes.json) for completion. Nothing is fetched from elsewhere.
(function () {
  "use strict";
  const element = document.getElementById("yasgui");
  const endpoint = new URL(element.dataset.endpoint, window.location.href).href;
  const prefixes = new URL(element.dataset.prefixes, window.location.href).href;
  const example = [
    "PREFIX peel: <https://w3id.org/peel-kg/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
    "",
    "# The graded judgments of each force",
    "SELECT DISTINCT ?force ?area ?grade WHERE {",
    "  ?judgment a peel:Judgment ; peel:force/rdfs:label ?force ;",
    "            peel:area/skos:prefLabel ?area ; peel:grade/skos:prefLabel ?grade .",
    "} ORDER BY ?force ?area LIMIT 50",
  ].join("\n");
  Yasgui.Yasqe.defaults.value = example;
  Yasgui.Yasqe.defaults.prefixCcApi = prefixes;
  const yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    persistenceId: null,
    yasqe: { value: example, prefixCcApi: prefixes },
  });
  window.peelYasgui = yasgui;
  document.body.dataset.ready = "true";
})();
