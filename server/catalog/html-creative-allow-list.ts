/**
 * What an HTML creative may contain: markup and CSS for a static display ad. Everything not listed
 * is refused, so a feature browsers add later is refused until someone decides it is harmless.
 * Scripts are not listed: the sandbox (no allow-scripts) and the CSP (no script-src) never run
 * them, so accepting them would only let a creative look fine in review and stay blank when served.
 * Names are lower case; the checker lower-cases what it finds.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

/** Attributes any allowed HTML element may have (plus aria-* and data-*). */
export const HTML_GLOBAL_ATTRIBUTES = words('id class style title lang dir hidden role tabindex translate');

/** HTML elements and the attributes each may have beyond the global ones. */
export const HTML_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...[...words('div p h1 h2 h3 h4 h5 h6')].map((name) => [name, words('align')] as const),
  ...[...words('span b i u s strong em small big sub sup mark br hr wbr abbr cite code kbd samp var bdi bdo dfn q pre')].map((name) => [name, words('')] as const),
  ...[...words('ul dl dt dd figure figcaption blockquote section article header footer aside main nav address center caption')].map((name) => [name, words('align')] as const),
  ['a', words('href target rel')],
  ['img', words('src srcset sizes alt width height loading decoding border align')],
  ['picture', words('')],
  ['source', words('srcset sizes media type width height')],
  ['ol', words('start reversed type')],
  ['li', words('value type')],
  ['table', words('border cellpadding cellspacing width height align bgcolor summary')],
  ...[...words('thead tbody tfoot tr')].map((name) => [name, words('align valign bgcolor')] as const),
  ...[...words('td th')].map((name) => [name, words('colspan rowspan headers scope abbr width height align valign bgcolor nowrap')] as const),
  ...[...words('col colgroup')].map((name) => [name, words('span width align valign')] as const),
  ...[...words('time del ins')].map((name) => [name, words('datetime')] as const),
  ['font', words('color face size')],
  ['style', words('media type')],
]);

/** SVG presentation attributes whose value is CSS and may hold url(): checked like a style. */
export const SVG_CSS_ATTRIBUTES = words('fill stroke clip-path');

/** Attributes any allowed SVG element may have. */
export const SVG_GLOBAL_ATTRIBUTES = words(`
  id class style lang tabindex role transform opacity visibility display color
  fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
  stroke-dasharray stroke-dashoffset stroke-opacity clip-path clip-rule
  font-family font-size font-weight font-style letter-spacing text-anchor dominant-baseline`);

/** SVG elements (basic shapes, text, gradients, clipping) and their attributes beyond the global ones. */
export const SVG_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['svg', words('width height viewbox preserveaspectratio version x y')],
  ...[...words('g defs title desc style')].map((name) => [name, words('')] as const),
  ['path', words('d pathlength')],
  ['rect', words('x y width height rx ry pathlength')],
  ['circle', words('cx cy r pathlength')],
  ['ellipse', words('cx cy rx ry pathlength')],
  ['line', words('x1 y1 x2 y2 pathlength')],
  ...[...words('polyline polygon')].map((name) => [name, words('points pathlength')] as const),
  ...[...words('text tspan')].map((name) => [name, words('x y dx dy rotate textlength lengthadjust')] as const),
  ['lineargradient', words('x1 y1 x2 y2 gradientunits gradienttransform spreadmethod')],
  ['radialgradient', words('cx cy r fx fy fr gradientunits gradienttransform spreadmethod')],
  ['stop', words('offset stop-color stop-opacity')],
  ['clippath', words('clippathunits')],
]);

/** CSS properties (and @font-face descriptors) an ad may set. */
export const CSS_PROPERTIES = words(`
  display position top right bottom left inset z-index float clear box-sizing overflow overflow-x overflow-y
  width height min-width min-height max-width max-height aspect-ratio
  margin margin-top margin-right margin-bottom margin-left padding padding-top padding-right padding-bottom padding-left
  border border-top border-right border-bottom border-left border-width border-style border-color
  border-top-width border-right-width border-bottom-width border-left-width
  border-top-style border-right-style border-bottom-style border-left-style
  border-top-color border-right-color border-bottom-color border-left-color
  border-radius border-top-left-radius border-top-right-radius border-bottom-left-radius border-bottom-right-radius
  border-collapse border-spacing table-layout caption-side empty-cells
  outline outline-width outline-style outline-color outline-offset box-shadow
  color opacity visibility background background-color background-image background-position background-size
  background-repeat background-clip background-origin background-attachment background-blend-mode mix-blend-mode
  font font-family font-size font-weight font-style font-variant font-stretch line-height letter-spacing word-spacing
  text-align text-decoration text-decoration-line text-decoration-color text-decoration-style text-transform
  text-shadow text-overflow text-indent white-space word-break overflow-wrap word-wrap hyphens vertical-align
  direction unicode-bidi writing-mode list-style list-style-type list-style-position list-style-image
  flex flex-direction flex-wrap flex-flow flex-grow flex-shrink flex-basis order
  justify-content justify-items justify-self align-content align-items align-self place-content place-items place-self
  gap row-gap column-gap grid grid-template grid-template-columns grid-template-rows grid-template-areas
  grid-auto-columns grid-auto-rows grid-auto-flow grid-area grid-column grid-row
  grid-column-start grid-column-end grid-row-start grid-row-end
  transform transform-origin transition transition-property transition-duration transition-timing-function transition-delay
  animation animation-name animation-duration animation-timing-function animation-delay animation-iteration-count
  animation-direction animation-fill-mode animation-play-state
  cursor pointer-events user-select object-fit object-position filter clip-path content quotes isolation will-change
  fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-dasharray stroke-dashoffset
  stroke-opacity stop-color stop-opacity text-anchor dominant-baseline
  src font-display unicode-range`);

/** CSS functions an ad may use; url() is a node of its own and always checked. */
export const CSS_FUNCTIONS = words(`
  rgb rgba hsl hsla hwb lab lch oklab oklch color-mix calc min max clamp
  linear-gradient radial-gradient conic-gradient repeating-linear-gradient repeating-radial-gradient repeating-conic-gradient
  image-set -webkit-image-set
  translate translatex translatey translatez translate3d scale scalex scaley scalez scale3d
  rotate rotatex rotatey rotatez rotate3d skew skewx skewy matrix matrix3d perspective
  cubic-bezier steps blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia
  inset circle ellipse polygon repeat minmax fit-content counter counters local format`);

/** Functions whose string arguments are image URLs. */
export const CSS_URL_FUNCTIONS = words('image-set -webkit-image-set');

/** At-rules an ad may use; @import, @namespace and the rest are refused. */
export const CSS_AT_RULES = words('media supports keyframes -webkit-keyframes font-face');
