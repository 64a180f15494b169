// Product pictures: the backend's image URL, or the placeholder when a line has none or its
// picture fails to load. data-image-state on each img records which ("loading", "loaded",
// "placeholder").

const PLACEHOLDER_URL = new URL("../img/placeholder.svg", import.meta.url).href;

function showPlaceholder(image) {
  image.dataset.imageState = "placeholder";
  image.src = PLACEHOLDER_URL;
}

/**
 * Points a card's img at `imageUrl`, or at the placeholder when there is none.
 * @param {HTMLImageElement} image
 * @param {string | null} imageUrl
 */
export function setCardImage(image, imageUrl) {
  if (imageUrl) {
    image.dataset.imageState = "loading";
    image.src = imageUrl;
  } else {
    showPlaceholder(image);
  }
}

function cardImageOf(event) {
  const target = event.target;
  return target instanceof HTMLImageElement && target.classList.contains("card-image") ? target : null;
}

/**
 * Tracks the load and error events of every card picture inside `container`. One capturing
 * listener serves all cards, because load and error do not bubble.
 * @param {HTMLElement} container
 */
export function watchCardImages(container) {
  container.addEventListener(
    "load",
    (event) => {
      const image = cardImageOf(event);
      if (image?.dataset.imageState === "loading") {
        image.dataset.imageState = "loaded";
      }
    },
    true,
  );

  // Only a product picture falls back, so a broken placeholder cannot loop.
  container.addEventListener(
    "error",
    (event) => {
      const image = cardImageOf(event);
      if (image?.dataset.imageState === "loading") {
        showPlaceholder(image);
      }
    },
    true,
  );
}
