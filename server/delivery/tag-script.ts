import { VIEWABILITY_JS } from './viewability-script';
import { htmlCreativeCsp } from '../../common/csp';

/** Escapes text for an HTML attribute or element. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for embedding in a script: also escapes `<` so `</script>` can never end it. */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

/**
 * The CSP and base an HTML creative gets inside its sandboxed srcdoc frame: it may load only from
 * the delivery server, relative URLs resolve there, and links open in a new window.
 */
export function htmlCreativeHead(baseUrl: string): string {
  const origin = escapeHtml(baseUrl);
  return (
    `<meta http-equiv="Content-Security-Policy" content="${htmlCreativeCsp(origin)}">` +
    `<base href="${origin}/" target="_blank"><style>html,body{margin:0;padding:0;overflow:hidden}</style>`
  );
}

/**
 * The JavaScript tag of a zone. It renders right after its own <script> element (found through
 * document.currentScript, no document.write), fetches the decision without cookies, shows an image
 * in a link or HTML in a sandboxed iframe, then fires the impression. It loads nothing but from
 * `baseUrl`. Keywords come from the tag URL (validated) or the script's data-kw attribute. Where it
 * can measure viewability it says so with the impression (`?m=1`) and fires the view URL.
 */
export function tagScript(baseUrl: string, zoneId: string, keywords: readonly string[] | null): string {
  return `(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode || !window.fetch) return;
  ${VIEWABILITY_JS}
  var base = ${jsString(baseUrl)};
  var kw = ${jsString(keywords ? keywords.join(',') : '')} || script.getAttribute("data-kw") || "";
  var url = base + "/v1/decision?zone=" + encodeURIComponent(${jsString(zoneId)}) + (kw ? "&kw=" + encodeURIComponent(kw) : "");
  fetch(url, { credentials: "omit", mode: "cors", cache: "no-store" })
    .then(function (r) { return r.status === 200 ? r.json() : null; })
    .then(function (d) {
      if (!d || !d.creative) return;
      var c = d.creative, el;
      if (typeof c.html === "string") {
        el = document.createElement("iframe");
        el.setAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
        el.setAttribute("srcdoc", ${jsString(htmlCreativeHead(baseUrl))} + c.html);
        el.setAttribute("title", c.alt);
        el.setAttribute("scrolling", "no");
        el.style.border = "0";
        el.width = c.width;
        el.height = c.height;
      } else {
        el = document.createElement("a");
        el.href = d.clickUrl;
        el.target = "_blank";
        el.rel = "noopener";
        var img = document.createElement("img");
        img.src = c.imageUrl;
        img.alt = c.alt;
        img.style.border = "0";
        img.style.display = "block";
        img.width = c.width;
        img.height = c.height;
        el.appendChild(img);
      }
      el.setAttribute("data-decision", d.decisionId);
      script.parentNode.insertBefore(el, script.nextSibling);
      var imp = d.impressionUrl + (d.viewUrl && ceView(el.firstChild || el, d.viewUrl) ? "?m=1" : "");
      fetch(imp, { credentials: "omit", mode: "no-cors", cache: "no-store", keepalive: true })
        .catch(function () { new Image().src = imp; });
    })
    .catch(function () {});
})();
`;
}
